# source: https://github.com/cartesia-ai/cartesia-python/blob/2.0.17/README.md ("Exception Handling": from cartesia.core.api_error import ApiError; e.status_code, e.body)
# shape: 2.x ApiError import and the legacy "Title: Message" body parsed with str(e.body).partition(": ")
# expect-stdout: status 404
# expect-stdout: title Voice not found
import os

from cartesia import Cartesia
from cartesia.core.api_error import ApiError

client = Cartesia(api_key=os.environ["CARTESIA_API_KEY"])

try:
    for chunk in client.tts.bytes(
        model_id="sonic-3",
        transcript="Who is speaking?",
        voice={"mode": "id", "id": "00000000-0000-0000-0000-000000000000"},
        output_format={"container": "wav", "sample_rate": 44100, "encoding": "pcm_f32le"},
    ):
        pass
except ApiError as e:
    print("status", e.status_code)
    title, _, message = str(e.body).partition(": ")
    print("title", title)
