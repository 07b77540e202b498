-- Neovim 0.7 as a real LSP client (headless): start `python -m stage_lsp server`, open the files named
-- in STAGE_LSP_FILES ("rel=count,rel=count"), wait until each buffer has `count` diagnostics (or the
-- timeout), write what Neovim holds as JSON to STAGE_LSP_OUT, stop the server, quit.
-- Run: nvim --headless -u NONE -c 'luafile collect.lua'
local root = vim.env.STAGE_LSP_ROOT
local out = vim.env.STAGE_LSP_OUT
local cmd = { vim.env.STAGE_LSP_PYTHON, "-m", "stage_lsp", "server", "--stdio" }
local timeout = tonumber(vim.env.STAGE_LSP_TIMEOUT_MS or "30000")

local client_id = vim.lsp.start_client({
  name = "stage-lsp",
  cmd = cmd,
  cmd_env = { PYTHONPATH = vim.env.STAGE_LSP_PYTHONPATH },
  root_dir = root,
  workspace_folders = { { uri = vim.uri_from_fname(root), name = "root" } },
})
if client_id == nil then
  io.stderr:write("could not start the server\n")
  vim.cmd("cquit 2")
end

local expected = {}
for item in string.gmatch(vim.env.STAGE_LSP_FILES, "[^,]+") do
  local rel, count = string.match(item, "^(.*)=(%d+)$")
  vim.cmd("edit " .. vim.fn.fnameescape(root .. "/" .. rel))
  local buf = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(buf, client_id)
  expected[rel] = { buf = buf, count = tonumber(count) }
end

local complete = vim.wait(timeout, function()
  for _, e in pairs(expected) do
    if #vim.diagnostic.get(e.buf) < e.count then
      return false
    end
  end
  return true
end, 50)

local client = vim.lsp.get_client_by_id(client_id)
local result = { complete = complete, encoding = client and client.offset_encoding or "?", files = {} }
for rel, e in pairs(expected) do
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(e.buf)) do
    local lsp = (d.user_data or {}).lsp or {}
    table.insert(found, {
      lnum = d.lnum,
      col = d.col,
      end_lnum = d.end_lnum,
      end_col = d.end_col,
      severity = d.severity,
      source = d.source,
      message = d.message,
      code = d.code or lsp.code,
      href = (lsp.codeDescription or {}).href,
    })
  end
  result.files[rel] = found
end

local file = io.open(out, "w")
file:write(vim.fn.json_encode(result))
file:close()
vim.lsp.stop_client(client_id)
vim.wait(5000, function()
  return vim.lsp.get_client_by_id(client_id) == nil
end, 50)
vim.cmd("qall!")
