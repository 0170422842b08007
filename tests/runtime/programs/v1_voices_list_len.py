# source: https://github.com/cartesia-ai/cartesia-python/blob/v1.4.0/README.md ("Voices": client.voices.list())
# shape: 1.x voices.list() returned a list of dicts: len(voices), voice["name"]
# expect-stdout: 6 voices
# expect-stdout: Barbershop Man
from cartesia import Cartesia
import os

client = Cartesia(api_key=os.environ.get("CARTESIA_API_KEY"))

# Get all available voices
voices = client.voices.list()
print(f"{len(voices)} voices")
for voice in voices:
    print(voice["name"])
