#!/bin/sh
# Makes the EffectModel sample's recordings: clean input, and what a real sox effect chain makes of it.
#
#   sh make_data.sh            (in samples/EffectModel/data; needs espeak-ng and sox: apt-get install -y espeak-ng sox)
#
# Input: English speech synthesised by espeak-ng (Harvard sentences, several voices), an exponential sine sweep and
# noise made by sox. Target: the input through the effect chain below. Everything is 48 kHz, mono, 16-bit PCM WAV.
# The training and held-out files are different material: other sentences, other voices, another sweep and noise.
set -eu

EFFECT="overdrive 20 lowpass 3000"
RATE=48000
# -D: no dither, -R: repeatable; so the same tools make the same files, bit for bit.
SOX="sox -D -R -V1"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# speak NAME VOICE TEXT: one sentence at 48 kHz, its peak at -6 dBFS, with 0.2 s of silence after it.
speak() {
  espeak-ng -v "$2" -s 170 -w "$work/raw-$1.wav" "$3"
  $SOX "$work/raw-$1.wav" -r $RATE -b 16 -c 1 "$work/$1.wav" gain -n -6 pad 0 0.2
}

# Training: Harvard sentences, list 1 (six of them), in four voices.
speak t01 en-gb          "The birch canoe slid on the smooth planks."
speak t02 en-us          "Glue the sheet to the dark blue background."
speak t03 en-gb-scotland "It's easy to tell the depth of a well."
speak t04 en-us+f3       "These days a chicken leg is a rare dish."
speak t05 en-gb          "Rice is often served in round bowls."
speak t06 en-us+f3       "The hogs were fed chopped corn and garbage."
# Noise: 4 s each of white and pink noise, made once; the training file takes the first 1.5 s of each, the held-out
# file a later second, so no noise sample is in both (sox -R makes the same noise on every call).
$SOX -n -r $RATE -b 16 -c 1 "$work/white.wav" synth 4 whitenoise
$SOX -n -r $RATE -b 16 -c 1 "$work/pink.wav" synth 4 pinknoise
# A 2.5 s exponential sweep from 20 Hz to 20 kHz at two levels, and white and pink noise rising from silence.
$SOX -n -r $RATE -b 16 -c 1 "$work/sweep1.wav" synth 2.5 sine 20/20000 gain -6 pad 0 0.2
$SOX -n -r $RATE -b 16 -c 1 "$work/sweep2.wav" synth 2.5 sine 20/20000 gain -20 pad 0 0.2
$SOX "$work/white.wav" "$work/noise1.wav" trim 0 1.5 fade t 1.5 0 0 gain -12 pad 0 0.2
$SOX "$work/pink.wav" "$work/noise2.wav" trim 0 1.5 fade t 1.5 0 0 gain -6 pad 0 0.2
$SOX "$work"/t*.wav "$work/sweep1.wav" "$work/sweep2.wav" "$work/noise1.wav" "$work/noise2.wav" train_input.wav

# Held out: Harvard sentences, list 2 (three of them), in two voices not used for training, a falling sweep at another
# level, and later stretches of the noise.
speak h01 en-gb-x-rp     "The boy was there when the sun rose."
speak h02 en-us-nyc      "A rod is used to catch pink salmon."
speak h03 en-gb-x-rp+f2  "The source of the huge river is the clear spring."
$SOX -n -r $RATE -b 16 -c 1 "$work/sweep3.wav" synth 1.5 sine 20000/20 gain -12 pad 0 0.2
$SOX "$work/white.wav" "$work/noise3.wav" trim 2.5 1 gain -18 pad 0 0.2
$SOX "$work/pink.wav" "$work/noise4.wav" trim 2.5 1 gain -12 pad 0 0.2
$SOX "$work"/h*.wav "$work/sweep3.wav" "$work/noise3.wav" "$work/noise4.wav" test_input.wav

# The effect, with its memory (the overdrive's DC-blocking filter, the low-pass biquad), over each whole file.
for name in train test; do
  $SOX ${name}_input.wav -b 16 ${name}_target.wav $EFFECT
done

for f in train_input.wav train_target.wav test_input.wav test_target.wav; do
  printf '%-18s %s s\n' "$f" "$(soxi -D "$f")"
done
