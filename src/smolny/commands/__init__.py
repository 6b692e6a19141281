"""The `smolny` command's sub-commands by area, and what they share."""
