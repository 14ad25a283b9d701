from services.notifier.bootstrap import build_app
from services.notifier.settings import NotifierSettings
from shared.serve import serve

settings = NotifierSettings()
serve(build_app(settings), settings)
