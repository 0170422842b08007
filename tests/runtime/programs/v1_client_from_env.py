# source: https://github.com/cartesia-ai/cartesia-python/blob/v1.4.0/cartesia/client.py (BaseClient: api_key or os.environ.get("CARTESIA_API_KEY")) and README.md ("Text-to-Speech")
# shape: 1.x Cartesia() without api_key= (it read CARTESIA_API_KEY itself); bytes() result is all the audio
# expect-file: hello.wav = wav:24000:Good morning from the environment.
from cartesia import Cartesia

client = Cartesia()

audio = client.tts.bytes(
    model_id="sonic-english",
    transcript="Good morning from the environment.",
    voice_id="a0e99841-438c-4a64-b679-ae501e7d6091",
    output_format={"container": "wav", "encoding": "pcm_s16le", "sample_rate": 24000},
)
with open("hello.wav", "wb") as f:
    f.write(audio)
print(f"wrote {len(audio) > 0}")
