"""Document ingestion (PDF, DOCX, ODT, HTML, text) into canonical page text. No Django."""
