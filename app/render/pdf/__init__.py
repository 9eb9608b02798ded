"""PDF output: converters (Word, WPS, LibreOffice) behind one interface, plus pypdf post-processing."""
