-- migration: AI generations (stage 2)

create table public.generations (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users(id) on delete cascade,
  source_text_hash text not null,
  generated_count integer not null,
  idempotency_key text not null unique,
  created_at timestamptz not null default now()
);

create index generations_user_id_idx on public.generations (user_id);

alter table public.generations enable row level security;

create policy generations_select on public.generations for select to authenticated using (auth.uid() = user_id);
create policy generations_insert on public.generations for insert to authenticated with check (auth.uid() = user_id);
