# source: https://github.com/cartesia-ai/cartesia-python/blob/v4.0.1/MIGRATING.md ("TTS locale and normalization": locale is mutually exclusive with language)
# shape: a 4.x call that sets both language= and locale=
# expect-file: cheers.wav = wav:44100:Cheers, mate!
import os

from cartesia import Cartesia

client = Cartesia(api_key=os.environ["CARTESIA_API_KEY"])
audio = client.tts.generate(
    model_id="sonic-3",
    transcript="Cheers, mate!",
    voice="a0e99841-438c-4a64-b679-ae501e7d6091",
    language="en",
    locale="en-GB",
    output_format={"container": "wav", "encoding": "pcm_s16le", "sample_rate": 44100},
)
audio.write_to_file("cheers.wav")
