-- Neovim 0.7 applies one stage-lsp quick fix (headless): start `python -m stage_lsp server`, open
-- STAGE_LSP_FILE, wait for its STAGE_LSP_CODE diagnostic, request code actions for it
-- (vim.lsp.buf_request_sync), apply the one whose title starts with STAGE_LSP_TITLE
-- (vim.lsp.util.apply_workspace_edit), save, write what happened as JSON to STAGE_LSP_OUT, quit.
-- Run: nvim --headless -u NONE -c 'luafile quickfix.lua'
local root = vim.env.STAGE_LSP_ROOT
local out = vim.env.STAGE_LSP_OUT
local timeout = tonumber(vim.env.STAGE_LSP_TIMEOUT_MS or "30000")
local result = { titles = {}, applied = false }

local function finish()
  local file = io.open(out, "w")
  file:write(vim.fn.json_encode(result))
  file:close()
  vim.cmd("qall!")
end

local client_id = vim.lsp.start_client({
  name = "stage-lsp",
  cmd = { vim.env.STAGE_LSP_PYTHON, "-m", "stage_lsp", "server", "--stdio" },
  cmd_env = { PYTHONPATH = vim.env.STAGE_LSP_PYTHONPATH },
  root_dir = root,
  workspace_folders = { { uri = vim.uri_from_fname(root), name = "root" } },
})
if client_id == nil then
  result.error = "could not start the server"
  finish()
end

vim.cmd("edit " .. vim.fn.fnameescape(root .. "/" .. vim.env.STAGE_LSP_FILE))
local buf = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(buf, client_id)

local found = nil
vim.wait(timeout, function()
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.code == vim.env.STAGE_LSP_CODE then
      found = d
      return true
    end
  end
  return false
end, 50)
if found == nil then
  result.error = "no " .. vim.env.STAGE_LSP_CODE .. " diagnostic"
  finish()
end

-- the diagnostic as the server sent it (Neovim keeps `data` in user_data.lsp); the lines are ASCII,
-- so Neovim's byte columns are the server's UTF-16 columns
local lsp = vim.tbl_extend("keep", {
  range = {
    start = { line = found.lnum, character = found.col },
    ["end"] = { line = found.end_lnum, character = found.end_col },
  },
  message = found.message,
  source = found.source,
  code = found.code,
}, found.user_data.lsp)
local params = {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  range = lsp.range,
  context = { diagnostics = { lsp } },
}
local responses = vim.lsp.buf_request_sync(buf, "textDocument/codeAction", params, timeout) or {}
local client = vim.lsp.get_client_by_id(client_id)
for _, response in pairs(responses) do
  for _, action in ipairs(response.result or {}) do
    table.insert(result.titles, action.title)
    if not result.applied and action.edit and vim.startswith(action.title, vim.env.STAGE_LSP_TITLE) then
      vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
      vim.api.nvim_set_current_buf(buf)
      vim.cmd("write")
      result.applied = true
    end
  end
end

vim.lsp.stop_client(client_id)
vim.wait(5000, function()
  return vim.lsp.get_client_by_id(client_id) == nil
end, 50)
finish()
