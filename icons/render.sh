#!/bin/sh
# Renders the SVG sources in this folder to the PNGs the app and the README use.
# Needs rsvg-convert (Debian: apt-get install librsvg2-bin). Run from anywhere: sh icons/render.sh
set -e
cd "$(dirname "$0")"
for size in 16 24 32 48 64 128 256 512; do
    rsvg-convert -w "$size" -h "$size" stacklab.svg -o "stacklab-$size.png"
done
for svg in toolbar/*.svg; do
    rsvg-convert -w 48 -h 48 "$svg" -o "${svg%.svg}.png"
done
