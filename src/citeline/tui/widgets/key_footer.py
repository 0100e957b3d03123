"""The footer: Textual's, rebuilt only when the keys it shows have changed."""

from __future__ import annotations

from textual.widgets import Footer


class KeyFooter(Footer):
    """Textual's footer, rebuilt only when the keys it would show have changed.

    Textual's :class:`~textual.widgets.Footer` recomposes (removes and mounts
    again a widget per key, restyling each) whenever the screen's bindings
    *may* have changed: on every focus change, and every time its screen is
    suspended or resumed; eight times while the main screen first opens.
    This one compares what it would show with what it shows and skips the
    rebuild when they are the same.
    """

    _shown: object = None

    def _keys(self) -> object:
        """Everything :meth:`Footer.compose` reads that can change."""
        bindings = self.screen.active_bindings.values() if self._bindings_ready else ()
        return (
            self._bindings_ready,
            self.compact,
            self.show_command_palette,
            [(binding, enabled, tooltip) for _, binding, enabled, tooltip in bindings],
        )

    async def recompose(self) -> None:
        if not self.is_attached:
            return
        keys = self._keys()
        if keys == self._shown:
            return
        self._shown = keys
        await super().recompose()
