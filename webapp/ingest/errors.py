"""Why an article could not be taken from a page or an address, in words a reader understands."""


class IngestError(ValueError):
    """An article could not be added from this input; str(error) says why, for the reader."""


class NoArticleText(IngestError):
    """The page was read, but no article text was found in it."""


class FetchRefused(IngestError):
    """The address was not fetched, or its answer not used (a private address, too big, ...)."""
