# source: https://github.com/cartesia-ai/cartesia-python/blob/2.0.17/tests/custom/test_client.py (test_ws_sync, stream=False)
# shape: 2.x ws.send(..., stream=False) returned one WebSocketTtsOutput with all the audio
# expect-file: output.raw = raw:Hello, world! I'm generating audio on Cartesia.
import os

from cartesia import Cartesia

DEFAULT_MODEL_ID = "sonic-2"
SAMPLE_VOICE_ID = "f9836c6e-a0bd-460e-9d3c-f7299fa60f94"
output_format = {"container": "raw", "encoding": "pcm_f32le", "sample_rate": 44100}

client = Cartesia(api_key=os.environ["CARTESIA_API_KEY"])
ws = client.tts.websocket()
output_generate = ws.send(
    transcript="Hello, world! I'm generating audio on Cartesia.",
    voice={"mode": "id", "id": SAMPLE_VOICE_ID},
    output_format=output_format,
    model_id=DEFAULT_MODEL_ID,
    stream=False,
)
audio = output_generate.audio
with open("output.raw", "wb") as f:
    f.write(audio)
ws.close()
