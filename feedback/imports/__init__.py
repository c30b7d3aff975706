"""Importing feedback from CSV and XLSX files: read, map the columns, check, then record.

A file is read as a stream (CSV in UTF-8 or Windows-1252, comma or semicolon; XLSX in openpyxl's
read-only mode). Each row is checked against the establishment's sites and sectors; valid rows go
through the analysis pipeline (redaction first) before anything is stored. Imported rows are
Feedback of kind `import`, whatever origin the file gives them: they have no survey response, so
no survey score includes them, while the managers' summaries treat them like survey comments,
as anonymous words of staff under the anonymity threshold. Like a survey comment, an imported
row keeps only its week.

A real run has two passes, so that it is all or nothing without holding the database for long:

1. check, analyse, stage: rows are read in chunks, duplicates looked up once per chunk, texts
   analysed, and the redacted rows written to a staging file next to the upload. The database
   only receives the job's progress (on its own connection).
2. write: the staged rows are inserted in chunks (bulk inserts, no ORM objects) in ONE
   transaction, cut into anonymity cohorts with the summary tables of their weeks, which the caller
   commits together with the job's outcome and its audit entry. Any failure rolls the whole
   import back.

From the web pages, a run is a task of the job queue (feedback.tasks.run_import, imports.jobs):
each attempt claims the job, and only the job's current attempt may commit, so an attempt killed
midway leaves nothing and the next one starts over from the file, once.

The analysis (pass 1) is what takes time; pass 2 takes seconds even for 100,000 rows, so on SQLite
other writers (survey answers) wait seconds at most, never for the whole import.
"""
