from services.reporting.bootstrap import build_app
from services.reporting.settings import ReportingSettings
from shared.serve import serve

settings = ReportingSettings()
serve(build_app(settings), settings)
