"""Write and read HLS playlists (the master playlist is ours; variant playlists are ffmpeg's)."""

import math
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class MediaPlaylist:
    target_duration: int
    segments: list[tuple[float, str]] = field(default_factory=list)
    ended: bool = False

    @property
    def duration(self) -> float:
        """Total length of the segments in seconds."""
        return sum(seconds for seconds, _uri in self.segments)


@dataclass
class Variant:
    uri: str
    bandwidth: int
    average_bandwidth: int | None = None
    resolution: tuple[int, int] | None = None
    codecs: str = ""


class PlaylistError(ValueError):
    """The text is not a valid HLS playlist."""


def parse_media_playlist(text: str) -> MediaPlaylist:
    """Parse a variant (media) playlist, checking the rules players rely on."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines or lines[0] != "#EXTM3U":
        raise PlaylistError("missing #EXTM3U")
    target = None
    playlist = MediaPlaylist(target_duration=0)
    pending: float | None = None
    for line in lines[1:]:
        if line.startswith("#EXT-X-TARGETDURATION:"):
            target = int(line.split(":", 1)[1])
        elif line.startswith("#EXTINF:"):
            pending = float(line.split(":", 1)[1].split(",", 1)[0])
        elif line == "#EXT-X-ENDLIST":
            playlist.ended = True
        elif not line.startswith("#"):
            if pending is None:
                raise PlaylistError(f"segment {line} has no #EXTINF")
            playlist.segments.append((pending, line))
            pending = None
    if target is None:
        raise PlaylistError("missing #EXT-X-TARGETDURATION")
    playlist.target_duration = target
    for seconds, uri in playlist.segments:
        if math.floor(seconds + 0.5) > target:
            raise PlaylistError(f"segment {uri} ({seconds}s) is longer than the target duration {target}s")
    return playlist


def _attributes(text: str) -> dict[str, str]:
    attrs, key, value, quoted, reading_key = {}, "", "", False, True
    for char in text + ",":
        if reading_key:
            if char == "=":
                reading_key = False
            else:
                key += char
        elif char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            attrs[key.strip()] = value
            key, value, reading_key = "", "", True
        else:
            value += char
    return attrs


def parse_master_playlist(text: str) -> list[Variant]:
    """Parse a master playlist into its variants."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines or lines[0] != "#EXTM3U":
        raise PlaylistError("missing #EXTM3U")
    variants: list[Variant] = []
    pending: dict[str, str] | None = None
    for line in lines[1:]:
        if line.startswith("#EXT-X-STREAM-INF:"):
            pending = _attributes(line.split(":", 1)[1])
        elif not line.startswith("#"):
            if pending is None or "BANDWIDTH" not in pending:
                raise PlaylistError(f"variant {line} has no #EXT-X-STREAM-INF with BANDWIDTH")
            resolution = None
            if "RESOLUTION" in pending:
                width, height = pending["RESOLUTION"].lower().split("x")
                resolution = (int(width), int(height))
            average = pending.get("AVERAGE-BANDWIDTH")
            variants.append(
                Variant(line, int(pending["BANDWIDTH"]), int(average) if average else None, resolution,
                        pending.get("CODECS", ""))
            )
            pending = None
    if not variants:
        raise PlaylistError("no variants")
    return variants


def measure_variant(playlist_path: Path) -> tuple[int, int]:
    """Peak and average bits per second of a variant, from its real segment sizes."""
    playlist = parse_media_playlist(playlist_path.read_text())
    peak, total_bits, total_seconds = 0, 0, 0.0
    for seconds, uri in playlist.segments:
        bits = (playlist_path.parent / uri).stat().st_size * 8
        total_bits += bits
        total_seconds += seconds
        if seconds >= 0.5:
            peak = max(peak, int(bits / seconds))
    average = int(total_bits / total_seconds) if total_seconds else 0
    return max(peak, average), average


def write_master_playlist(path: Path, variants: list[Variant]) -> None:
    """Write the master playlist listing each variant, lowest first so players start small."""
    lines = ["#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-INDEPENDENT-SEGMENTS"]
    for variant in sorted(variants, key=lambda v: v.bandwidth):
        attrs = [f"BANDWIDTH={variant.bandwidth}"]
        if variant.average_bandwidth:
            attrs.append(f"AVERAGE-BANDWIDTH={variant.average_bandwidth}")
        if variant.resolution:
            attrs.append(f"RESOLUTION={variant.resolution[0]}x{variant.resolution[1]}")
        if variant.codecs:
            attrs.append(f'CODECS="{variant.codecs}"')
        lines += ["#EXT-X-STREAM-INF:" + ",".join(attrs), variant.uri]
    path.write_text("\n".join(lines) + "\n")
