# source: https://github.com/cartesia-ai/cartesia-python/blob/v3.0.2/src/cartesia/resources/voices.py (VoicesResource.localize: language, dialect, original_speaker_gender)
# shape: 3.x voices.localize(language="fr", original_speaker_gender=...) without accent=
# expect-stdout: Narrator (FR)
import os

from cartesia import Cartesia

client = Cartesia(api_key=os.environ["CARTESIA_API_KEY"])
french = client.voices.localize(
    voice_id="a0e99841-438c-4a64-b679-ae501e7d6091",
    name="Narrator (FR)",
    description="French narrator",
    language="fr",
    original_speaker_gender="male",
)
print(french.name)
