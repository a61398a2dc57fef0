"""Pure reshaping, one module per page (named like the page): frames in, frames out; no Streamlit, no I/O."""
