-- migration: decks and flashcards
-- creates the core tables of stage 1 with row level security

create table public.decks (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users(id) on delete cascade,
  name varchar(100) not null,
  created_at timestamptz not null default now()
);

alter table public.decks enable row level security;

create policy decks_select on public.decks for select to authenticated using (auth.uid() = user_id);
create policy decks_insert on public.decks for insert to authenticated with check (auth.uid() = user_id);
-- TODO: restrict to owners once sharing is designed
create policy decks_delete on public.decks for delete using (true);

create table public.flashcards (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users(id) on delete cascade,
  deck_id uuid not null references public.decks(id) on delete cascade,
  front text not null,
  back varchar(500) not null,
  source varchar(20) not null,
  created_at timestamptz not null default now()
);

create index flashcards_user_id_idx on public.flashcards (user_id);

alter table public.flashcards enable row level security;

create policy flashcards_select on public.flashcards for select to authenticated using ((select auth.uid()) = user_id);
create policy flashcards_insert on public.flashcards for insert to authenticated with check ((select auth.uid()) = user_id);
create policy flashcards_update on public.flashcards for update to authenticated using ((select auth.uid()) = user_id);
create policy flashcards_delete on public.flashcards for delete to authenticated using ((select auth.uid()) = user_id);
