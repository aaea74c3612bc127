SET client_encoding = 'UTF8';
CREATE TABLE public.people (id integer, note text, label text);
COPY public.people (id, note, label) FROM stdin;
1	\N	x
2	11010519491231002X	demo
\.

ALTER TABLE ONLY public.people ADD CONSTRAINT people_pkey PRIMARY KEY (id);
