# source: https://github.com/cartesia-ai/cartesia-python/blob/2.0.17/README.md ("Batch Speech-to-Text (STT)")
# shape: 2.x stt.transcribe(file=..., model=..., language=...): unchanged in 4.x (a control: nothing to fix)
# expect-stdout: Transcribed text: heard 3200 bytes
# expect-request: POST /stt model=ink-whisper
from cartesia import Cartesia
import os

client = Cartesia(api_key=os.getenv("CARTESIA_API_KEY"))

# Transcribe an audio file
with open("audio.wav", "rb") as audio_file:
    response = client.stt.transcribe(
        file=audio_file,                    # Audio file to transcribe
        model="ink-whisper",                # STT model (required)
        language="en",                      # Language of the audio (optional)
    )

# Access transcription results
print(f"Transcribed text: {response.text}")
