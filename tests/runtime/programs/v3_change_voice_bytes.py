# source: https://github.com/cartesia-ai/cartesia-python/blob/v3.0.2/src/cartesia/resources/voice_changer.py (VoiceChangerResource.change_voice_bytes)
# shape: 3.0 voice_changer.change_voice_bytes(...) response written to a file
# expect-file: changed.wav = vc:6ccbfb76-1fc6-48f7-b71d-91ac6298247b:wav:44100
import os

from cartesia import Cartesia

client = Cartesia(api_key=os.environ["CARTESIA_API_KEY"])
with open("clip.wav", "rb") as clip:
    response = client.voice_changer.change_voice_bytes(
        clip=clip,
        voice_id="6ccbfb76-1fc6-48f7-b71d-91ac6298247b",
        output_format_container="wav",
        output_format_sample_rate=44100,
        output_format_encoding="pcm_f32le",
    )
    response.write_to_file("changed.wav")
