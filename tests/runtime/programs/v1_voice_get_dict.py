# source: https://github.com/cartesia-ai/cartesia-python/blob/v1.4.0/README.md ("Voices": client.voices.get())
# shape: 1.x voices.get() returned a dict: voice["name"], voice["embedding"]
# expect-stdout: The voice is Barbershop Man
from cartesia import Cartesia
import os

client = Cartesia(api_key=os.environ.get("CARTESIA_API_KEY"))

# Get a specific voice
voice = client.voices.get(id="a0e99841-438c-4a64-b679-ae501e7d6091")
print("The voice is", voice["name"])
print("The embedding has", len(voice["embedding"]), "dimensions")
