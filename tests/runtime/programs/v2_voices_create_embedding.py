# source: https://github.com/cartesia-ai/cartesia-python/blob/v4.0.1/MIGRATING.md ("Creating Voices", v2.x create from embedding)
# shape: 2.x voices.create(embedding=[...]) (discontinued: no mechanical replacement)
# expect-stdout: My Voice
import os

from cartesia import Cartesia

client = Cartesia(api_key=os.environ["CARTESIA_API_KEY"])

voice = client.voices.create(
    name="My Voice",
    description="A custom voice",
    embedding=[1.0] * 192,  # 192-dimensional embedding
    language="en",
)
print(voice.name)
