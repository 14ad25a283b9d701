from services.portal.bootstrap import build_app
from services.portal.settings import PortalSettings
from shared.serve import serve

settings = PortalSettings()
serve(build_app(settings), settings)
