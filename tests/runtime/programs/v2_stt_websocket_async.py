# source: https://github.com/cartesia-ai/cartesia-python/blob/2.0.17/README.md ("Async Streaming Speech-to-Text (STT) with Websockets")
# shape: 2.x `ws = await client.stt.websocket(...)`; `await ws.send(chunk)`; `async for result in ws.receive()`: result['type'] (asyncio.sleep pacing dropped)
# expect-stdout: FINAL: heard 3200 bytes
# expect-stdout: Transcription completed
import asyncio
import os
from cartesia import AsyncCartesia


async def streaming_stt_example():
    client = AsyncCartesia(api_key=os.getenv("CARTESIA_API_KEY"))

    ws = await client.stt.websocket(
        model="ink-whisper",             # Model (required)
        language="en",                   # Language of your audio (required)
        encoding="pcm_s16le",            # Audio encoding format (required)
        sample_rate=16000,               # Audio sample rate (required)
    )

    async def send_audio():
        with open("audio.wav", "rb") as f:
            audio_data = f.read()
        chunk_size = int(16000 * 0.1 * 2)  # 100ms at 16kHz, 16-bit
        for i in range(0, len(audio_data), chunk_size):
            await ws.send(audio_data[i:i + chunk_size])
        await ws.send("finalize")
        await ws.send("done")

    async def receive_transcripts():
        async for result in ws.receive():
            if result['type'] == 'transcript':
                if result['is_final']:
                    print(f"FINAL: {result['text']}")
                else:
                    print(f"PARTIAL: {result['text']}")
            elif result['type'] == 'done':
                print("Transcription completed")
                break

    await asyncio.gather(send_audio(), receive_transcripts())
    await ws.close()
    await client.close()


if __name__ == "__main__":
    asyncio.run(streaming_stt_example())
