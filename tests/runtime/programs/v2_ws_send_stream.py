# source: https://github.com/cartesia-ai/cartesia-python/blob/v4.0.1/MIGRATING.md ("TTS WebSocket: WebSocket Basic Usage", v2.x)
# shape: 2.x ws = client.tts.websocket(); ws.send(..., stream=True); `if out.audio: f.write(out.audio)`; ws.close()
# expect-file: output.pcm = raw:Hello, world!
# expect-request: WS /tts/websocket voice=a0e99841-438c-4a64-b679-ae501e7d6091
import os

from cartesia import Cartesia

client = Cartesia(api_key=os.environ["CARTESIA_API_KEY"])

ws = client.tts.websocket()
output = ws.send(
    model_id="sonic-latest",
    transcript="Hello, world!",
    voice={"mode": "id", "id": "a0e99841-438c-4a64-b679-ae501e7d6091"},
    output_format={"container": "raw", "encoding": "pcm_f32le", "sample_rate": 44100},
    stream=True,  # v2.x had stream parameter
)
# Write chunks to file as they arrive.
# You could also send chunks over the network, play them in real-time, etc.
with open("output.pcm", "wb") as f:
    for out in output:
        if out.audio:
            f.write(out.audio)
ws.close()
