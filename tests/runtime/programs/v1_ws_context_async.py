# source: https://github.com/cartesia-ai/cartesia-python/blob/v1.4.0/README.md ("Input Streaming with Contexts", async)
# shape: 1.x `ws = await client.tts.websocket()`, ctx.send(continue_=True) per transcript, ctx.no_more_inputs(), `async for output in ctx.receive()`: output["audio"]
# expect-file: output.raw = raw:Sonic and Yoshi team up in a dimension-hopping adventure! |raw:Racing through twisting zones, they dodge Eggman's badniks. |raw:
# expect-request: WS /tts/websocket voice=87748186-23bb-4158-a1eb-332911b0b708
import asyncio
import os
from cartesia import AsyncCartesia


async def send_transcripts(ctx):
    voice_id = "87748186-23bb-4158-a1eb-332911b0b708"
    model_id = "sonic-english"
    output_format = {
        "container": "raw",
        "encoding": "pcm_f32le",
        "sample_rate": 44100,
    }

    transcripts = [
        "Sonic and Yoshi team up in a dimension-hopping adventure! ",
        "Racing through twisting zones, they dodge Eggman's badniks. ",
    ]

    for transcript in transcripts:
        # Send text inputs as they become available
        await ctx.send(
            model_id=model_id,
            transcript=transcript,
            voice_id=voice_id,
            continue_=True,
            output_format=output_format,
        )

    # Indicate that no more inputs will be sent. Otherwise, the context will close after 5 seconds of inactivity.
    await ctx.no_more_inputs()


async def receive_and_save_audio(ctx):
    with open("output.raw", "wb") as stream:
        async for output in ctx.receive():
            buffer = output["audio"]
            stream.write(buffer)


async def stream_and_listen():
    client = AsyncCartesia(api_key=os.environ.get("CARTESIA_API_KEY"))

    # Set up the websocket connection
    ws = await client.tts.websocket()

    # Create a context to send and receive audio
    ctx = ws.context()  # Generates a random context ID if not provided

    send_task = asyncio.create_task(send_transcripts(ctx))
    listen_task = asyncio.create_task(receive_and_save_audio(ctx))

    # Call the two coroutine tasks concurrently
    await asyncio.gather(send_task, listen_task)

    await ws.close()
    await client.close()


asyncio.run(stream_and_listen())
