"""Settings for the voice app."""
import os

CARTESIA_API_KEY = os.environ["CARTESIA_API_KEY"]
CARTESIA_BASE_URL = "http://api.cartesia.ai"
DEFAULT_MODEL_ID = "sonic-english"
MULTILINGUAL_MODEL_ID = "sonic-multilingual"
DEFAULT_VOICE_ID = "a0e99841-438c-4a64-b679-ae501e7d6091"
