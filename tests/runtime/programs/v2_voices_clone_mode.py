# source: https://github.com/cartesia-ai/cartesia-python/blob/2.0.17/README.md ("Voices": clone with mode/enhance)
# shape: 2.x voices.clone(clip=..., mode="similarity", enhance=False)
# expect-stdout: Test cloned voice en
# expect-request: POST /voices/clone language=en
from cartesia import Cartesia
import os

client = Cartesia(api_key=os.getenv("CARTESIA_API_KEY"))

# Clone a Voice using file data
cloned_voice = client.voices.clone(
    clip=open("clip.wav", "rb"),
    name="Test cloned voice",
    language="en",
    mode="similarity",  # or "stability"
    enhance=False,  # use enhance=True to clean and denoise the cloning audio
    description="Test voice description"
)
print(cloned_voice.name, cloned_voice.language)
