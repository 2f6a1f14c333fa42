-- Run by scripts/check-lsp-neovim inside headless Neovim, with the file to check in the current
-- buffer: starts `wfl lsp` with Neovim's own client and prints what it answers.
local wfl = os.getenv('WFL')
local buf = vim.api.nvim_get_current_buf()
local failed = false

local function say(text)
  io.stdout:write(text .. '\n')
end

local function fail(text)
  say('FAILED: ' .. text)
  failed = true
end

local function finish()
  vim.cmd(failed and 'cquit 1' or 'qall!')
end

local config = { name = 'wfl', cmd = { wfl, 'lsp' }, root_dir = vim.fn.getcwd() }
local client_id
if vim.lsp.start then
  client_id = vim.lsp.start(config)
else
  client_id = vim.lsp.start_client(config)
  vim.lsp.buf_attach_client(buf, client_id)
end
if not vim.wait(10000, function()
  local client = vim.lsp.get_client_by_id(client_id)
  return client ~= nil and client.initialized
end) then
  fail('the client did not initialize')
  return finish()
end
say('client started: ' .. (vim.lsp.start and 'vim.lsp.start' or 'vim.lsp.start_client'))

local function diagnostics()
  return vim.diagnostic.get(buf)
end

-- The first line (1-based) and column (0-based) where `pattern` (plain text) is found.
local function find(pattern)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local at = string.find(line, pattern, 1, true)
    if at then
      return i, at - 1
    end
  end
end

local function request(method, line, column)
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = { line = line - 1, character = column },
  }
  local answers = vim.lsp.buf_request_sync(buf, method, params, 10000) or {}
  for _, answer in pairs(answers) do
    if answer.result then
      return answer.result
    end
  end
end

-- Diagnostics of the file as it is.
vim.wait(3000, function() return #diagnostics() > 0 end)
say(string.format('diagnostics as opened: %d', #diagnostics()))

-- A use of a variable: in a guard (`when NAME`, `when not NAME`) or a condition.
local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
local var_line, var_col, var_name
for i, line in ipairs(lines) do
  local name = line:match('^%s*var%s+([%w_]+)')
  if name then
    for j = i + 1, #lines do
      local at = lines[j]:find('when[^/]*%f[%w_]' .. name .. '%f[^%w_]')
      if at then
        local col = lines[j]:find('%f[%w_]' .. name .. '%f[^%w_]', at + 4)
        var_line, var_col, var_name = j, col - 1, name
        break
      end
    end
  end
  if var_line then
    break
  end
end

if var_line then
  -- Diagnostics as one types: misspell the use, then undo.
  local original = lines[var_line]
  local misspelt = original:sub(1, var_col) .. var_name .. 'x' .. original:sub(var_col + #var_name + 1)
  vim.api.nvim_buf_set_lines(buf, var_line - 1, var_line, false, { misspelt })
  if vim.wait(10000, function() return #diagnostics() > 0 end) then
    for _, d in ipairs(diagnostics()) do
      say(string.format('diagnostic after misspelling `%s` on line %d: %d:%d %s %s', var_name,
        var_line, d.lnum + 1, d.col + 1, d.code or d.user_data and d.user_data.lsp.code or '?',
        d.message:gsub('\n', ' | ')))
    end
  else
    fail('no diagnostic for the misspelt `' .. var_name .. '`')
  end
  vim.api.nvim_buf_set_lines(buf, var_line - 1, var_line, false, { original })
  if vim.wait(10000, function() return #diagnostics() == 0 end) then
    say('diagnostics after undoing it: 0')
  else
    fail('the finding stayed after the edit was undone')
  end

  local hover = request('textDocument/hover', var_line, var_col)
  if hover and hover.contents then
    say(string.format('hover on `%s` (line %d): %s', var_name, var_line,
      (hover.contents.value or ''):gsub('\n', ' | ')))
  else
    fail('no hover on `' .. var_name .. '`')
  end
  local definition = request('textDocument/definition', var_line, var_col)
  if definition and definition.range then
    local line = definition.range.start.line + 1
    say(string.format('definition of `%s` (line %d): line %d: %s', var_name, var_line, line,
      vim.trim(vim.api.nvim_buf_get_lines(buf, line - 1, line, false)[1])))
  else
    fail('no definition of `' .. var_name .. '`')
  end
else
  say('(no variable read in a guard or condition: no edit, hover or definition of one)')
end

-- Hover on the first state and the first task declared.
for _, kind in ipairs({ 'state', 'task' }) do
  for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local at = line:match('^%s*()' .. kind .. ' ') or line:match('^%s*final ()' .. kind .. ' ')
      or line:match('^%s*transient ()' .. kind .. ' ')
    if at then
      local col = at - 1 + #kind + 1
      local hover = request('textDocument/hover', i, col)
      if hover and hover.contents then
        say(string.format('hover on the %s at line %d: %s', kind, i,
          (hover.contents.value or ''):gsub('\n', ' | ')))
      else
        fail(string.format('no hover on the %s at line %d', kind, i))
      end
      break
    end
  end
end

vim.lsp.stop_client(client_id)
finish()
