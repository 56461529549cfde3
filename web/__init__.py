"""The local web app (`tahaluf serve`): a view over the library; it decides nothing."""
