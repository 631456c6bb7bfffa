"""What an uploaded file's bytes are: the type sniffed from them (never from the name or the browser's
word), checked against an allow-list and against the name's extension; and, for images, a thumbnail.

Decoding an image is bounded: its pixel count is read from the header and checked before any pixel is
decoded, so a small file that would expand to gigabytes (a decompression bomb) is refused, not decoded.
A thumbnail is re-encoded, so it carries none of the original's metadata (EXIF: GPS position, camera).
"""

import io
import os
from dataclasses import dataclass

import filetype
from PIL import Image, ImageOps

from engine import InvalidData

from .errors import TooLarge
from .messages import MESSAGES

#: Media types an attachment may have, with the extensions a file of that type may be named with.
#: Photos as phones and cameras save them (JPEG, PNG, WebP, GIF) and documents as PDF; nothing a browser
#: would run (HTML, SVG) nor anything Pillow cannot read for a thumbnail (HEIC).
ALLOWED = {
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
    "image/webp": (".webp",),
    "image/gif": (".gif",),
    "application/pdf": (".pdf",),
}
#: What Pillow calls each image type (a file must decode as the type its bytes were sniffed as).
PILLOW_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP", "image/gif": "GIF"}
THUMBNAIL_BOX = (320, 320)
THUMBNAIL_TYPE = "image/jpeg"
FIELD = "file"


@dataclass(frozen=True)
class Limits:
    """How big an attachment may be: bytes, and pixels for an image (from the app's config)."""

    max_bytes: int
    max_pixels: int


def media_type(data: bytes, file_name: str, limits: Limits) -> str:
    """The allowed media type of `data`, named `file_name`; refuses (naming the field `file`) a file
    that is empty, too big, of a type not allowed, or whose bytes are not what its extension says."""
    if not data:
        raise InvalidData(MESSAGES.text("attachment_empty"), fields={FIELD: MESSAGES.text("field_file_empty")})
    if len(data) > limits.max_bytes:
        raise too_large(limits.max_bytes)
    sniffed = filetype.guess_mime(data)
    if sniffed not in ALLOWED:
        raise InvalidData(
            MESSAGES.text("attachment_type_refused"), fields={FIELD: MESSAGES.text("field_type_not_allowed")}
        )
    extension = os.path.splitext(file_name)[1].lower()
    if extension not in ALLOWED[sniffed]:
        raise InvalidData(
            MESSAGES.text("attachment_name_mismatch", extension=extension or "—", expected=ALLOWED[sniffed][0]),
            fields={FIELD: MESSAGES.text("field_content_not_extension", sniffed=sniffed, extension=extension or "—")},
        )
    return sniffed


def too_large(max_bytes: int) -> TooLarge:
    """The refusal of a file beyond `max_bytes` (also when the body was too big to read at all)."""
    return TooLarge(
        MESSAGES.text("attachment_too_large", megabytes=round(max_bytes / 2**20, 1)),
        fields={FIELD: MESSAGES.text("field_larger_than", size=max_bytes)},
    )


def thumbnail(data: bytes, kind: str, limits: Limits) -> bytes | None:
    """A JPEG thumbnail of an image (None for any other type); refuses an image too large to decode or
    one that does not decode as the type its bytes were sniffed as."""
    if kind not in PILLOW_FORMATS:
        return None
    try:
        with Image.open(io.BytesIO(data), formats=[PILLOW_FORMATS[kind]]) as image:
            if image.width * image.height > limits.max_pixels:
                raise TooLarge(
                    MESSAGES.text("attachment_too_many_pixels", megapixels=limits.max_pixels // 1_000_000),
                    fields={FIELD: MESSAGES.text("field_pixels", width=image.width, height=image.height)},
                )
            small = ImageOps.exif_transpose(image)
            small.thumbnail(THUMBNAIL_BOX)
            layers = small.convert("RGBA")  # transparency shown on white, as a page shows it
            flat = Image.new("RGB", small.size, "white")
            flat.paste(layers, mask=layers)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        raise InvalidData(
            MESSAGES.text("attachment_unreadable"), fields={FIELD: MESSAGES.text("field_does_not_decode")}
        ) from error
    out = io.BytesIO()
    flat.save(out, "JPEG", quality=80)
    return out.getvalue()
