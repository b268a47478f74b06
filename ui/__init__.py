"""Streamlit glue shared by the pages: connection, cached queries, filters, labels."""
