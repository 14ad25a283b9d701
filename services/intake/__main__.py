from services.intake.bootstrap import build_app
from services.intake.settings import IntakeSettings
from shared.serve import serve

settings = IntakeSettings()
serve(build_app(settings), settings)
