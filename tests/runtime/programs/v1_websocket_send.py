# source: https://github.com/cartesia-ai/cartesia-python/blob/v1.4.0/README.md ("WebSocket")
# shape: 1.x ws = client.tts.websocket(); for output in ws.send(..., stream=True): output["audio"]; ws.close()
# expect-file: output.raw = raw:Hello! Welcome to Cartesia
# expect-request: WS /tts/websocket voice=a0e99841-438c-4a64-b679-ae501e7d6091
from cartesia import Cartesia
import os

client = Cartesia(api_key=os.environ.get("CARTESIA_API_KEY"))
voice_id = "a0e99841-438c-4a64-b679-ae501e7d6091"
transcript = "Hello! Welcome to Cartesia"

# You can check out our models at https://docs.cartesia.ai/getting-started/available-models
model_id = "sonic-english"

output_format = {
    "container": "raw",
    "encoding": "pcm_f32le",
    "sample_rate": 22050,
}

# Set up the websocket connection
ws = client.tts.websocket()

with open("output.raw", "wb") as stream:
    # Generate and stream audio using the websocket
    for output in ws.send(
        model_id=model_id,
        transcript=transcript,
        voice_id=voice_id,
        stream=True,
        output_format=output_format,
    ):
        buffer = output["audio"]
        stream.write(buffer)

ws.close()  # Close the websocket connection
