"""Reading councils' documents (PDF, Word, HTML, text, web addresses) into one model."""
