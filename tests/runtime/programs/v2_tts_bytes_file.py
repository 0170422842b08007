# source: https://github.com/cartesia-ai/cartesia-python/blob/2.0.17/README.md ("Usage", sync)
# shape: 2.x tts.bytes() iterator of chunks written as they come; voice={"mode": "id", ...}
# expect-file: sonic.wav = wav:44100:Hello, world!
# expect-request: POST /tts/bytes voice=6ccbfb76-1fc6-48f7-b71d-91ac6298247b language=en
from cartesia import Cartesia
import os

client = Cartesia(
    api_key=os.environ["CARTESIA_API_KEY"],
)


def main():
    with open("sonic.wav", "wb") as f:
        bytes_iter = client.tts.bytes(
            model_id="sonic-3",
            transcript="Hello, world!",
            voice={
                "mode": "id",
                "id": "6ccbfb76-1fc6-48f7-b71d-91ac6298247b",
            },
            language="en",
            output_format={
                "container": "wav",
                "sample_rate": 44100,
                "encoding": "pcm_f32le",
            },
        )

        for chunk in bytes_iter:
            f.write(chunk)


if __name__ == "__main__":
    main()
