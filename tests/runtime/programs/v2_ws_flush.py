# source: https://github.com/cartesia-ai/cartesia-python/blob/2.0.17/tests/custom/test_client.py (test_continuation_flush)
# shape: 2.x `receiver = await ctx.flush()` per transcript, then `async for out in receiver()`: out.audio / out.flush_done
# expect-stdout: flush 1: 96 bytes
# expect-stdout: flush 2: 128 bytes
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
        transcripts = ["Hello, world!", "My name is Cartesia."]
        receivers = []
        for transcript in transcripts:
            await ctx.send(
                model_id=DEFAULT_MODEL_ID,
                transcript=transcript,
                voice={"mode": "id", "id": SAMPLE_VOICE_ID},
                output_format=DEFAULT_OUTPUT_FORMAT_PARAMS,
                continue_=True,
            )
            new_receiver = await ctx.flush()
            receivers.append(new_receiver)
        await ctx.no_more_inputs()

        for number, receiver in enumerate(receivers, 1):
            chunks = []
            async for out in receiver():
                if out.audio is not None:
                    chunks.append(out.audio)
                elif out.flush_done:
                    assert out.flush_id is not None
            print(f"flush {number}: {len(b''.join(chunks))} bytes")
    finally:
        await ws.close()
        await async_client.close()


asyncio.run(main())
