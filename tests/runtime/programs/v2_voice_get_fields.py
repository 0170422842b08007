# source: https://github.com/cartesia-ai/cartesia-python/blob/2.0.17/README.md ("Voices": get a specific Voice, voice.embedding)
# shape: 2.x Voice.embedding (4.x Voice has no embedding)
# expect-stdout: The embedding for Barbershop Man has 192 values
from cartesia import Cartesia
import os

client = Cartesia(api_key=os.getenv("CARTESIA_API_KEY"))

# Get a specific Voice
voice = client.voices.get(id="a0e99841-438c-4a64-b679-ae501e7d6091")
print("The embedding for", voice.name, "has", len(voice.embedding), "values")
