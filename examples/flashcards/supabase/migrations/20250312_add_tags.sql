-- migration: tags for flashcards (experimental)

create table public.tags (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users(id) on delete cascade,
  name text not null
);

alter table public.tags enable row level security;
