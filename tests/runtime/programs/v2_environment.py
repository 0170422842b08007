# source: https://github.com/cartesia-ai/cartesia-python/blob/2.0.17/src/cartesia/client.py (Cartesia(environment=CartesiaEnvironment.PRODUCTION, follow_redirects=True)) and README.md ("Usage")
# shape: 2.x environment= and follow_redirects= constructor arguments, CartesiaEnvironment import
# expect-stdout: voices: Barbershop Man
import os

from cartesia import Cartesia, CartesiaEnvironment

client = Cartesia(
    api_key=os.environ["CARTESIA_API_KEY"],
    environment=CartesiaEnvironment.PRODUCTION,
    follow_redirects=True,
)
first = next(iter(client.voices.list()))
print("voices:", first.name)
