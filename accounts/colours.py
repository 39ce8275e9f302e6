"""Colour arithmetic for the organisation's brand colour (WCAG 2.1 relative luminance)."""


def _channel(value: int) -> float:
    srgb = value / 255
    return srgb / 12.92 if srgb <= 0.03928 else ((srgb + 0.055) / 1.055) ** 2.4


def relative_luminance(hex_colour: str) -> float:
    """Relative luminance of a #rrggbb colour; malformed input counts as black."""
    digits = hex_colour.lstrip("#")
    try:
        red, green, blue = (int(digits[i : i + 2], 16) for i in (0, 2, 4))
    except ValueError:
        return 0.0
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def contrast_with_white(hex_colour: str) -> float:
    """The contrast ratio of white text on this colour, from 1 to 21."""
    return 1.05 / (relative_luminance(hex_colour) + 0.05)
