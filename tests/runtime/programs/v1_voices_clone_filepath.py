# source: https://github.com/cartesia-ai/cartesia-python/blob/v1.4.0/README.md ("Voices": clone using filepath, create)
# shape: 1.x voices.clone(filepath=...) returned an embedding; voices.create(embedding=...)
# expect-stdout: created New Voice
from cartesia import Cartesia
import os

client = Cartesia(api_key=os.environ.get("CARTESIA_API_KEY"))

# Clone a voice using filepath
cloned_voice_embedding = client.voices.clone(filepath="clip.wav")

# Create a new voice
new_voice = client.voices.create(
    name="New Voice",
    description="A clone of my own voice",
    embedding=cloned_voice_embedding,
)
print("created", new_voice["name"])
