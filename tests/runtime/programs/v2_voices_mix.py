# source: https://github.com/cartesia-ai/cartesia-python/blob/v4.0.1/MIGRATING.md ("Mixing Voices", v2.x)
# shape: 2.x voices.mix(voices=[...]) (discontinued)
# expect-stdout: 192
import os

from cartesia import Cartesia

client = Cartesia(api_key=os.environ["CARTESIA_API_KEY"])

output = client.voices.mix(
    voices=[
        {"id": "a0e99841-438c-4a64-b679-ae501e7d6091", "weight": 0.5},
        {"id": "694f9389-aac1-45b6-b726-9d9369183238", "weight": 0.5},
    ]
)
print(len(output.embedding))
