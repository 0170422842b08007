# source: https://github.com/cartesia-ai/cartesia-python/blob/v4.0.1/MIGRATING.md ("Continuations (Streaming Multiple Transcripts)", v2.x)
# shape: 2.x ctx = ws.context(); ctx.send(..., continue_=True) per transcript; ctx.no_more_inputs(); `for out in ctx.receive(): f.write(out.audio)`
# expect-file: output.raw = raw:Hello, world! |raw:How are you today?
import os

from cartesia import Cartesia

client = Cartesia(api_key=os.environ["CARTESIA_API_KEY"])
transcripts = ["Hello, world! ", "How are you today?"]
output_format = {"container": "raw", "encoding": "pcm_f32le", "sample_rate": 44100}

ws = client.tts.websocket()
ctx = ws.context()
for transcript in transcripts:
    ctx.send(
        model_id="sonic-latest",
        transcript=transcript,
        voice={"mode": "id", "id": "a0e99841-438c-4a64-b679-ae501e7d6091"},
        output_format=output_format,
        continue_=True,
    )
ctx.no_more_inputs()
with open("output.raw", "wb") as f:
    for out in ctx.receive():
        f.write(out.audio)
ws.close()
