# source: https://github.com/cartesia-ai/cartesia-python/blob/v1.4.0/README.md ("Utility methods: Output Formats")
# shape: 1.x client.tts.get_output_format("raw_pcm_f32le_44100") and get_sample_rate(); sse(stream=True) with voice_id=
# expect-file: output.raw = raw:Formats from a name.
# expect-stdout: rate 44100
import os

from cartesia import Cartesia

SAMPLE_VOICE_ID = "a0e99841-438c-4a64-b679-ae501e7d6091"
model = "sonic-english"
transcript = "Formats from a name."

client = Cartesia(api_key=os.environ.get("CARTESIA_API_KEY"))

# Get the output format dictionary from string name
output_format = client.tts.get_output_format("raw_pcm_f32le_44100")
rate = client.tts.get_sample_rate("raw_pcm_f32le_44100")
print(f"rate {rate}")

# Pass in the output format dictionary to generate and stream audio
generator = client.tts.sse(
    model_id=model,
    transcript=transcript,
    voice_id=SAMPLE_VOICE_ID,
    stream=True,
    output_format=output_format,
)
with open("output.raw", "wb") as f:
    for output in generator:
        f.write(output["audio"])
