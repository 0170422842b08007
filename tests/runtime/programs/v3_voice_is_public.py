# source: https://github.com/cartesia-ai/cartesia-python/blob/v3.0.2/examples/examples.py (voices_get) and https://github.com/cartesia-ai/cartesia-python/blob/v4.0.1/MIGRATING.md ("Voices": is_public is replaced by access)
# shape: 3.x Voice.is_public (4.x: access / visibility)
# expect-stdout: Barbershop Man is public
import os

from cartesia import Cartesia

client = Cartesia(api_key=os.environ["CARTESIA_API_KEY"])
voice = client.voices.get("a0e99841-438c-4a64-b679-ae501e7d6091")
print(voice.name, "is", "public" if voice.is_public else "private")
