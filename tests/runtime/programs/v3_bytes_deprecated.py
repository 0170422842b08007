# source: https://github.com/cartesia-ai/cartesia-python/blob/v3.0.2/examples/examples.py (tts_bytes_to_file)
# shape: 3.x deprecated tts.bytes() with a {"mode": "id"} voice, chunks written to a file
# expect-file: output.wav = wav:44100:Hello, world!
# expect-stdout: Saved audio to output.wav
import os

from cartesia import Cartesia


def tts_bytes_to_file(client: Cartesia) -> None:
    """Backwards compatibility: use the bytes() method to write a wav file."""
    response = client.tts.bytes(  # pyright: ignore[reportDeprecated]
        model_id="sonic-3",
        transcript="Hello, world!",
        voice={"mode": "id", "id": "6ccbfb76-1fc6-48f7-b71d-91ac6298247b"},
        output_format={"container": "wav", "encoding": "pcm_f32le", "sample_rate": 44100},
    )
    with open("output.wav", "wb") as f:
        for chunk in response:
            f.write(chunk)
    print(f"Saved audio to output.wav")


tts_bytes_to_file(Cartesia(api_key=os.environ["CARTESIA_API_KEY"]))
