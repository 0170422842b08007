# source: https://github.com/cartesia-ai/cartesia-python/blob/2.0.17/tests/custom/test_client.py (test_continuation_async)
# shape: 2.x async ctx.send(continue_=True) per transcript, `await ctx.no_more_inputs()`, `async for out in ctx.receive(): chunks.append(out.audio)`
# expect-file: output.raw = raw:Hello, world!|raw:I'm generating audio on Cartesia.
import asyncio
import os
import uuid

from cartesia import AsyncCartesia

DEFAULT_MODEL_ID = "sonic-2"
SAMPLE_VOICE_ID = "f9836c6e-a0bd-460e-9d3c-f7299fa60f94"
DEFAULT_OUTPUT_FORMAT_PARAMS = {"container": "raw", "encoding": "pcm_f32le", "sample_rate": 44100}


async def main():
    async_client = AsyncCartesia(api_key=os.environ["CARTESIA_API_KEY"])
    ws = await async_client.tts.websocket()
    context_id = str(uuid.uuid4())
    try:
        ctx = ws.context(context_id)
        transcripts = ["Hello, world!", "I'm generating audio on Cartesia."]
        for _, transcript in enumerate(transcripts):
            await ctx.send(
                model_id=DEFAULT_MODEL_ID,
                transcript=transcript,
                voice={"mode": "id", "id": SAMPLE_VOICE_ID},
                output_format=DEFAULT_OUTPUT_FORMAT_PARAMS,
                continue_=True,
            )

        await ctx.no_more_inputs()

        chunks = []
        async for out in ctx.receive():
            chunks.append(out.audio)

        audio = b"".join(chunks)
        with open("output.raw", "wb") as f:
            f.write(audio)
    finally:
        await ws.close()
        await async_client.close()


asyncio.run(main())
