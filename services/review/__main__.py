"""python -m services.review"""

from services.review.bootstrap import build_app
from services.review.settings import ReviewSettings
from shared.serve import serve

settings = ReviewSettings()
serve(build_app(settings), settings)
