# source: https://github.com/cartesia-ai/cartesia-python/blob/2.0.17/reference.md (client.voices.localize)
# shape: 2.x voices.localize(language=..., dialect=..., original_speaker_gender=...) without accent=
# expect-stdout: Sarah Peninsular Spanish
from cartesia import Cartesia
import os

client = Cartesia(api_key=os.environ["CARTESIA_API_KEY"])
voice = client.voices.localize(
    voice_id="694f9389-aac1-45b6-b726-9d9369183238",
    name="Sarah Peninsular Spanish",
    description="Sarah Voice in Peninsular Spanish",
    language="es",
    original_speaker_gender="female",
    dialect="pe",
)
print(voice.name)
