# source: https://github.com/cartesia-ai/cartesia-python/blob/v1.4.0/README.md ("Multilingual Text-to-Speech")
# shape: 1.x sonic-multilingual with language="es", sse(stream=True), output["audio"]
# expect-file: output.raw = raw:Hola! Bienvenido a Cartesia
from cartesia import Cartesia
import os

client = Cartesia(api_key=os.environ.get("CARTESIA_API_KEY"))
voice_id = "a0e99841-438c-4a64-b679-ae501e7d6091"

transcript = "Hola! Bienvenido a Cartesia"
language = "es"  # Language code corresponding to the language of the transcript

# Make sure you use the multilingual model! You can check out all models at https://docs.cartesia.ai/getting-started/available-models
model_id = "sonic-multilingual"

output_format = {
    "container": "raw",
    "encoding": "pcm_f32le",
    "sample_rate": 44100,
}

with open("output.raw", "wb") as stream:
    # Pass in the corresponding language code to the `language` parameter to generate and stream audio.
    for output in client.tts.sse(
        model_id=model_id,
        transcript=transcript,
        voice_id=voice_id,
        stream=True,
        output_format=output_format,
        language=language,
    ):
        buffer = output["audio"]
        stream.write(buffer)
