# source: https://github.com/cartesia-ai/cartesia-python/blob/2.0.17/README.md ("Speech-to-Text (STT) with Websockets")
# shape: 2.x ws = client.stt.websocket(...); ws.send(chunk); ws.send("finalize"); ws.send("done"); `for result in ws.receive()`: result['type'], result['text']
# expect-stdout: Transcription: heard 3200 bytes
# expect-stdout: Final result received
from cartesia import Cartesia
import os

client = Cartesia(api_key=os.getenv("CARTESIA_API_KEY"))

# Load your audio file as bytes
with open("audio.wav", "rb") as f:
    audio_data = f.read()

# Convert to audio chunks (20ms chunks used here for a streaming example)
# This chunk size is calculated for 16kHz, 16-bit audio: 16000 * 0.02 * 2 = 640 bytes
chunk_size = 640
audio_chunks = [audio_data[i:i+chunk_size] for i in range(0, len(audio_data), chunk_size)]

# Create websocket connection with endpointing parameters
ws = client.stt.websocket(
    model="ink-whisper",                 # Model (required)
    language="en",                       # Language of your audio (required)
    encoding="pcm_s16le",                # Audio encoding format (required)
    sample_rate=16000,                   # Audio sample rate (required)
    min_volume=0.1,                      # Volume threshold for voice activity detection
    max_silence_duration_secs=0.4,       # Maximum silence duration before endpointing
)

# Send audio chunks (streaming approach)
for chunk in audio_chunks:
    ws.send(chunk)

# Finalize and close
ws.send("finalize")
ws.send("done")

# Receive transcription results with word-level timestamps
for result in ws.receive():
    if result['type'] == 'transcript':
        print(f"Transcription: {result['text']}")
        if result['is_final']:
            print("Final result received")
    elif result['type'] == 'done':
        break

ws.close()
